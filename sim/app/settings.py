"""What the teaching page adds to a :class:`~sim.app.session.Session`: language, colour mode,
the followed person, and how the run differs from its scenario (a mixin, kept apart from the
session's model and measure code)."""

from __future__ import annotations

from sim.app.texts import LANGS, scenario_label, tr


class PageSettings:
    """Methods of :class:`~sim.app.session.Session` that only the page needs."""

    def set_lang(self, lang: str) -> None:
        """Show the page's words and pictures in ``lang`` (``nb`` or ``en``)."""
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
        with self.lock:
            self.lang = lang
            if self.draw_enabled:
                self._draw()

    def set_colour(self, mode: str) -> None:
        """Colour people by ``status`` or by sense of coherence (``soc``)."""
        from sim.app.drawing import COLOUR_MODES

        if mode not in COLOUR_MODES:
            raise ValueError(f"colour must be one of {', '.join(COLOUR_MODES)}, got {mode!r}")
        with self.lock:
            self.colour = mode
            if self.draw_enabled:
                self._draw()

    def select_at(self, fx: float, fy: float) -> int:
        """Select the person nearest to a click on the network picture (fractions of its width
        and height from the top left); returns their index."""
        with self.lock:
            network, _ = self._ensure_views()
            self.select(network.user_at(fx, fy))
            return self.selected

    def select(self, who: int | None) -> None:
        """Follow one person (their story panel and a ring in the picture), or nobody."""
        with self.lock:
            if who is not None and not 0 <= int(who) < self.users:
                raise ValueError(f"person must be in [0, {self.users - 1}], got {who}")
            self.selected = None if who is None else int(who)
            if self.draw_enabled:
                self._draw()

    def story(self) -> dict | None:
        """The followed person's story now (see :func:`sim.app.story.person_story`)."""
        from sim.app.story import person_story

        with self.lock:
            return None if self.selected is None else person_story(self.model, self.selected)

    def differences(self) -> list[tuple[str, float, float]]:
        """Levers and starting values that differ from the chosen scenario, as
        ``(name, scenario's value, page's value)``."""
        from sim.app.session import reference_start

        reference = reference_start(self.scenario)
        out = [
            (name, float(self.scenario.values[name]), float(value))
            for name, value in self.levers.items()
            if value != self.scenario.values[name]
        ]
        out += [
            (name, float(reference[name]), float(value))
            for name, value in self.start.items()
            if value != reference[name]
        ]
        return out

    def ghost_text(self) -> str:
        """The previous run in words (scenario, changed or not, seed), in the page's language."""
        name, seed, changed = self.previous_about
        key = "run_label_changed" if changed else "run_label"
        return tr(key, self.lang, scenario=scenario_label(name, self.lang), seed=seed)
