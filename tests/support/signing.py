"""The secrets a test line is configured with: Twilio's auth token and the app's secret key."""

from __future__ import annotations

# Signs every webhook, as Twilio does with the account's auth token (32 hex characters, as
# Twilio's are: the line refuses any other form outside development mode).
TOKEN = "0123456789abcdef0123456789abcdef"
# Signs the staff console's login cookies (required outside development mode) and keys the
# callers' pseudonyms.
SECRET = "test-secret-key-for-the-staff-console-0123456789"
# The URL Twilio calls: the test line's PUBLIC_BASE_URL.
BASE = "http://localhost"
