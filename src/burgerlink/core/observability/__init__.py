"""Watching a running platform: request ids, JSON logs, Prometheus metrics, Sentry.

Nothing here may identify a citizen: log lines carry no e-mail addresses, names, IP addresses
or secret tokens from paths (``logs.mask_path``), and Sentry events carry no request bodies.
"""
