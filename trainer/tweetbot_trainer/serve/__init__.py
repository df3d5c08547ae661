"""`tweetbot-serve`: a finished run behind an OpenAI-compatible completions API and the "My dream is" page."""
