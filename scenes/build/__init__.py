"""Building the video: the manifest of segments, rendering one segment, joining them all."""
