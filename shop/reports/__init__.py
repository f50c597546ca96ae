"""Figures for staff and marketing: sales by day and channel, the dashboard's counts, how promotions
performed, and a preview of a promotion on a cart. Reads only; above orders and promotions."""
