"""The users' table (numpy columns, :class:`sim.agents.users.Users`). Relatives live in
sim/relatives/state.py and self-help groups (column table and Mesa agents) in sim/groups/."""
