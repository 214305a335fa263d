"""The live preview: the page the export writes, in an offline web view."""
