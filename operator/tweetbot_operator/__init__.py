"""TweetBot operator: reconciles TweetBot resources into training Jobs."""
