"""The three kinds of agents: users and relatives (numpy arrays) and self-help groups (Mesa agents)."""
