"""Pages of the notification service: the inbox and the demo outbox (inbox.py), and the
screens where application owners manage applications, keys and templates
(applications.py)."""
