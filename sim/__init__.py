"""recovery-sim: agent-based simulation of recovery from addiction, next of kin and self-help groups."""

__version__ = "0.1.0"
