"""The database: tables, schema versions and upgrades, callback requests and sent SMS."""
