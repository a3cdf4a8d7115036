"""Data tables tweetparse ships: plain Python constants, so they install with the package."""
