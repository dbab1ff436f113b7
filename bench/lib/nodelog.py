"""Reading Ringwall node log lines in the bench scripts: each starts with an ISO-8601 UTC timestamp."""
import datetime


def stamp(line):
    """(seconds since the epoch or None, the line's words) for a node log line."""
    parts = line.split()
    if not parts or not parts[0][:4].isdigit():
        return None, parts
    s = parts[0].rstrip("Z")
    s = s[:26] if "." in s else s  # microseconds at most for fromisoformat
    try:
        return datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp(), parts
    except ValueError:
        return None, parts
