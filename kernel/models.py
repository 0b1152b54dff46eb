"""No models of its own (kernel/append_only.py holds the abstract base the apps' logs extend).

The module exists so that Django counts kernel among the apps with models: only those are sent
`post_migrate`, which creates the database cache tables (kernel/apps.py)."""
