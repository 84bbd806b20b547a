"""The Flask app: create_app(), the voice webhooks, the TwiML writer, Twilio request checks."""
