"""Utility functions for HTTP client operations.

This package contains various utility functions and modules used by the HTTP client
for operations like:
- Request execution and error handling
- Image loading and processing
- Request data building and formatting
- Batch processing and iteration helpers
- API key handling and security

The utilities are organized into submodules for better code organization and reuse.
"""
