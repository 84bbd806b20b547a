"""The secrets a test line is configured with: Twilio's auth token and the app's secret key."""

from __future__ import annotations

# Signs every webhook, as Twilio does with the account's auth token.
TOKEN = "test-auth-token"
# Signs the staff console's login cookies (required outside development mode) and keys the
# callers' pseudonyms.
SECRET = "test-secret-key-for-the-staff-console-0123456789"
# The URL Twilio calls (PUBLIC_BASE_URL when the line has one).
BASE = "http://localhost"
