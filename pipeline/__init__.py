"""The video's pipeline: segments rendered, published and joined, then reviewed and measured."""

__all__: list[str] = []
