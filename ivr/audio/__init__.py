"""Pre-rendered audio for every spoken text: engines, manifest, rendering, serving."""
