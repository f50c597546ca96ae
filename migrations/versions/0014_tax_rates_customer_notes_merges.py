"""sales tax by destination (rates, each line's and refund's tax), customer notes and merges, a card
payment's brand and last four for receipts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tax_rates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('region', sa.String(length=3), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('rate_millipercent', sa.Integer(), nullable=False),
        sa.Column('taxes_shipping', sa.Boolean(), nullable=False),
        sa.Column('taxes_digital', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('rate_millipercent >= 0 AND rate_millipercent <= 30000', name=op.f('ck_tax_rates_rate_in_range')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_tax_rates_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_rates')),
        sa.UniqueConstraint('country', 'region', name='uq_tax_rates_destination'),
    )
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('shipping_tax_cents', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('tax_country', sa.String(length=2), nullable=False, server_default=''))
        batch.add_column(sa.Column('tax_region', sa.String(length=3), nullable=False, server_default=''))
    with op.batch_alter_table('order_lines') as batch:
        batch.add_column(sa.Column('tax_cents', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('refunds') as batch:
        batch.add_column(sa.Column('tax_cents', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('payments') as batch:
        batch.add_column(sa.Column('card_brand', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('card_last4', sa.String(length=4), nullable=False, server_default=''))
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('merged_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key(op.f('fk_users_merged_into_id_users'), 'users', ['merged_into_id'], ['id'],
                                 ondelete='SET NULL')
    op.create_table(
        'customer_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_notes_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_customer_notes_author_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notes')),
    )
    op.create_index('ix_customer_notes_user_created', 'customer_notes', ['user_id', 'created_at'])
    op.create_table(
        'customer_merges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('source_email', sa.String(length=254), nullable=False),
        sa.Column('target_email', sa.String(length=254), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.String(length=1000), nullable=False),
        sa.Column('merged_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['source_id'], ['users.id'], name=op.f('fk_customer_merges_source_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['target_id'], ['users.id'], name=op.f('fk_customer_merges_target_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_customer_merges_staff_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_merges')),
    )
    op.create_index(op.f('ix_customer_merges_source_id'), 'customer_merges', ['source_id'])
    op.create_index(op.f('ix_customer_merges_target_id'), 'customer_merges', ['target_id'])


def downgrade():
    op.drop_table('customer_merges')
    op.drop_index('ix_customer_notes_user_created', table_name='customer_notes')
    op.drop_table('customer_notes')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('fk_users_merged_into_id_users'), type_='foreignkey')
        batch.drop_column('merged_at')
        batch.drop_column('merged_into_id')
    with op.batch_alter_table('payments') as batch:
        batch.drop_column('card_last4')
        batch.drop_column('card_brand')
    with op.batch_alter_table('refunds') as batch:
        batch.drop_column('tax_cents')
    with op.batch_alter_table('order_lines') as batch:
        batch.drop_column('tax_cents')
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('tax_region')
        batch.drop_column('tax_country')
        batch.drop_column('shipping_tax_cents')
    op.drop_table('tax_rates')
