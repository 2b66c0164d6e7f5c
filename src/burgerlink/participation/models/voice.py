"""The official voice: contributions of civil servants, official or personal (issue 11 §5)."""
