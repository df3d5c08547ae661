"""`kubectl tweetbot ...`: the TweetBots of a cluster from the command line (the official kubernetes client)."""
