"""TweetBot trainer: posts in, fine-tuned model out."""
