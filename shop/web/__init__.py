"""What every view uses: error pages, the page cache of storefront pages, request and form helpers."""
