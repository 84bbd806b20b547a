"""Messages the line sends itself: the advice by SMS through Twilio's REST API."""
