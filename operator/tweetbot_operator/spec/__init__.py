"""The TweetBot as data: constants, naming, validation."""
