"""Configuration: settings from the environment, per-service settings, where content is."""
