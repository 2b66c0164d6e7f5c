"""The petitions area of the participation app."""
