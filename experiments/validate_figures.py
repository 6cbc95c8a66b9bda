"""The validation's figures and the pooled time-to-relapse analysis (lifelines)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration.measures import BASE_ARM, parametric_fits
from experiments.calibration.targets import TargetSet
from experiments.validate_report import _finite


def _pooled_times(results: list[dict]) -> pd.DataFrame:
    frames = []
    for res in results:
        if res["arm"] == BASE_ARM and "times" in res:
            t = res["times"].copy()
            t["replication"] = res["seed"]
            frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def pooled_survival(times: pd.DataFrame) -> dict[str, float]:
    """Pooled fits (lifelines) for the report: AIC of both models, Cox on hope stratified by replication."""
    from lifelines import CoxPHFitter, KaplanMeierFitter

    out: dict[str, float] = {}
    if times.empty or times["event"].sum() < 10:
        return out
    t1 = times["duration"].to_numpy(float) + 1.0
    e = times["event"].to_numpy(bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ll, ex = parametric_fits(t1, e)
        km = KaplanMeierFitter().fit(times["duration"], times["event"])
        out.update(
            {
                "aic_loglogistic": ll.AIC_,
                "aic_exponential": ex.AIC_,
                "ll_alpha": ll.alpha_,
                "ll_beta": ll.beta_,
                "exp_lambda": ex.lambda_,
                "km_median": float(km.median_survival_time_),
                "km_s52": float(km.survival_function_at_times(52).iloc[0]),
                "n": len(times),
                "events": int(e.sum()),
            }
        )
        df = pd.DataFrame(
            {
                "duration": t1,
                "event": e,
                "hope10": times["hope_at_discharge"] / 10.0,
                "replication": times["replication"],
            }
        ).dropna()
        try:
            cph = CoxPHFitter().fit(df, "duration", "event", strata=["replication"])
            s = cph.summary.loc["hope10"]
            out.update(
                {
                    "cox_hr": float(s["exp(coef)"]),
                    "cox_lo": float(s["exp(coef) lower 95%"]),
                    "cox_hi": float(s["exp(coef) upper 95%"]),
                    "cox_p": float(s["p"]),
                }
            )
        except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
            out["cox_failed"] = 1.0  # degenerate tiny sample: the report omits the Cox line
    return out


def figures(
    out: Path,
    ts: TargetSet,
    rows: pd.DataFrame,
    results: list[dict],
    times: pd.DataFrame,
    pooled: dict,
) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from lifelines import KaplanMeierFitter

    sns.set_theme(style="whitegrid", context="notebook")
    made = []
    # 1. every banded measure against its band (band scaled to 0-1; open bands: pass/fail only)
    banded = rows[~rows.report_only].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(10, 0.36 * len(banded) + 1.6))
    for i, r in banded.iterrows():
        color = "tab:green" if r["pass"] else "tab:red"
        lo_b, hi_b = _finite(r.target_low), _finite(r.target_high)
        if lo_b is None or hi_b is None:
            ax.plot([0, 1], [i, i], color="0.88", lw=8, solid_capstyle="butt")
            x = 0.5 if r["pass"] else (-0.5 if lo_b is not None else 1.5)
            ax.plot([x], [i], "s", color=color)
            continue
        ax.plot([0, 1], [i, i], color="0.7", lw=8, solid_capstyle="butt")
        width = hi_b - lo_b
        if np.isfinite(r.low):
            ax.plot(
                np.clip([(r.low - lo_b) / width, (r.high - lo_b) / width], -1.5, 2.5),
                [i, i],
                color=color,
                lw=2,
            )
        ax.plot([np.clip((r.simulated - lo_b) / width, -1.5, 2.5)], [i], "o", color=color)
    ax.set_yticks(range(len(banded)))
    ax.set_yticklabels([f"{r.target} {r.measure}" for _, r in banded.iterrows()], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-1.6, 2.6)
    ax.axvline(0, color="0.5", lw=0.5)
    ax.axvline(1, color="0.5", lw=0.5)
    ax.set_xlabel(
        "place in the target band: 0 low end, 1 high end (squares: open band, pass or fail only)",
        fontsize=9,
    )
    ax.set_title(
        "Simulated mean and 95% interval against each band (green pass, red fail)", fontsize=11
    )
    fig.tight_layout()
    fig.savefig(out / "targets.png", dpi=110)
    plt.close(fig)
    made.append("targets.png")
    # 2. time to first relapse: Kaplan-Meier with the two parametric fits, and the hazard over time
    if not times.empty:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 5))
        km = KaplanMeierFitter(label="Kaplan-Meier (pooled replications)").fit(
            times["duration"], times["event"]
        )
        km.plot_survival_function(ax=a1)
        t1 = times["duration"].to_numpy(float) + 1.0
        e = times["event"].to_numpy(bool)
        grid = np.linspace(0, float(times["duration"].max()), 200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ll, ex = parametric_fits(t1, e)
        a1.plot(
            grid,
            ll.survival_function_at_times(grid + 1.0).to_numpy(),
            "--",
            label=f"log-logistic (AIC {ll.AIC_:.0f})",
        )
        a1.plot(
            grid,
            ex.survival_function_at_times(grid + 1.0).to_numpy(),
            ":",
            label=f"exponential (AIC {ex.AIC_:.0f})",
        )
        a1.set_xlabel("weeks since discharge")
        a1.set_ylabel("share without relapse")
        a1.set_title("T2: time to first relapse, status-quo")
        a1.legend()
        hz = []
        for res in results:
            f = res["figures"]
            if res["arm"] == BASE_ARM and "hazard_0_13" in f:
                hz.append(
                    [f["hazard_0_13"], f["hazard_13_26"], f["hazard_26_52"], f["hazard_52_104"]]
                )
        if hz:
            hz = np.array(hz)
            mids = np.array([6.5, 19.5, 39, 78])
            widths = np.array([13, 13, 26, 52])
            a2.bar(
                mids,
                hz.mean(0),
                width=widths * 0.95,
                color="tab:blue",
                alpha=0.5,
                label="Nelson-Aalen hazard per week, by interval (mean of replications)",
            )
            for row in hz:
                a2.plot(mids, row, ".", color="tab:blue", alpha=0.6)
        a2.plot(
            grid,
            ll.hazard_at_times(grid + 1.0).to_numpy(),
            "--",
            color="tab:orange",
            label="log-logistic fit",
        )
        a2.axhline(
            float(ex.hazard_at_times([1.0]).iloc[0]),
            ls=":",
            lw=2,
            color="tab:green",
            zorder=5,
            label="exponential fit",
        )
        a2.set_xlim(0, 156)
        a2.set_xlabel("weeks since discharge")
        a2.set_ylabel("weekly hazard of first relapse")
        a2.set_title("T2: the hazard falls with time abstinent")
        a2.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / "survival.png", dpi=110)
        plt.close(fig)
        made.append("survival.png")
    # 3. SOC: start distributions (T9) and stability of untouched relatives (T10)
    base = [res for res in results if res["arm"] == BASE_ARM and "soc_pairs" in res]
    if base:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5))
        a1.hist(base[0]["soc_relatives_start"], bins=40, alpha=0.6, density=True, label="relatives")
        a1.hist(base[0]["soc_users_start"], bins=40, alpha=0.6, density=True, label="users")
        a1.axvspan(65, 71, color="0.8", alpha=0.5, label="target mean 65-71")
        a1.set_xlabel("SOC-13 at the start")
        a1.set_title("T9: SOC-13 at the start (replication 1)")
        a1.legend()
        pairs = base[0]["soc_pairs"]
        r = np.corrcoef(pairs[:, 0], pairs[:, 1])[0, 1] if len(pairs) > 2 else float("nan")
        a2.scatter(pairs[:, 0], pairs[:, 1], s=4, alpha=0.3)
        a2.set_xlabel("SOC-13 at the start")
        a2.set_ylabel(f"SOC-13 at week {results[0]['figures'].get('weeks', 0):.0f}")
        a2.set_title(f"T10: SOC stability, relatives never helped (r = {r:.2f}; target 0.5-0.7)")
        fig.tight_layout()
        fig.savefig(out / "soc.png", dpi=110)
        plt.close(fig)
        made.append("soc.png")
    # 4. meeting sizes (T8)
    hists = [res["size_hist"] for res in results if res["arm"] == BASE_ARM and "size_hist" in res]
    if hists:
        h = np.sum(hists, axis=0).astype(float)
        h = h / max(h.sum(), 1)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        sizes = np.arange(len(h))
        ax.bar(sizes, h, color=np.where((sizes >= 4) & (sizes <= 8), "tab:green", "tab:blue"))
        ax.axvspan(1.5, 20.5, color="0.9", zorder=0, label="2-20 (range)")
        ax.set_xlabel("people present per meeting held (41 = 41 or more)")
        ax.set_ylabel("share of meetings")
        ax.set_title("T8: meeting sizes, status-quo, pooled over replications (green: typical 4-8)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "group_sizes.png", dpi=110)
        plt.close(fig)
        made.append("group_sizes.png")
    # 5. group life over time (T6, T8, T13)
    weekly = [
        res["weekly"].assign(replication=res["seed"])
        for res in results
        if res["arm"] == BASE_ARM and "weekly" in res
    ]
    if weekly:
        long = pd.concat(weekly, ignore_index=True)
        fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
        for ax, col, title in zip(
            axes,
            ("relatives_in_groups_share", "mean_group_size", "groups_active"),
            ("T6: relatives in groups (share)", "T8: people per meeting", "T13: active groups"),
        ):
            sns.lineplot(data=long, x="week", y=col, errorbar=("ci", 95), ax=ax)
            ax.set_title(title)
        fig.tight_layout()
        fig.savefig(out / "timeseries.png", dpi=110)
        plt.close(fig)
        made.append("timeseries.png")
    return made
