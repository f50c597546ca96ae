"""The back office: one room per kind of staff work, each a blueprint with only its views and forms.

Rooms: reports (the dashboard and sales), phone (phone orders), calls (the call log), desk (the order desk),
catalogue (products, images, categories), stock, users, settings, marketing (promotions). Each room's
package defines its blueprint, protected by role (shop.accounts.access.protect_blueprint); the rules
they apply live in the domain packages' services.
"""
