"""the professionals directory: listings and their modalities

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 19:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'directory_listings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=120), nullable=False),
        sa.Column('practice_name', sa.String(length=160), nullable=False),
        sa.Column('full_name', sa.String(length=160), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('show_street', sa.Boolean(), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('zip_code', sa.String(length=5), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('website', sa.String(length=300), nullable=False),
        sa.Column('bio', sa.Text(), nullable=False),
        sa.Column('photo', sa.String(length=300), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('status_reason', sa.String(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_directory_listings_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_listings')),
        sa.UniqueConstraint('slug', name=op.f('uq_directory_listings_slug')),
        sa.UniqueConstraint('user_id', name=op.f('uq_directory_listings_user_id')),
    )
    with op.batch_alter_table('directory_listings', schema=None) as batch_op:
        batch_op.create_index('ix_directory_listings_status_lat_lng', ['status', 'latitude', 'longitude'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_directory_listings_state'), ['state'], unique=False)
    op.create_table(
        'listing_modalities',
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('modality', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['listing_id'], ['directory_listings.id'],
                                name=op.f('fk_listing_modalities_listing_id_directory_listings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('listing_id', 'modality', name=op.f('pk_listing_modalities')),
    )
    with op.batch_alter_table('listing_modalities', schema=None) as batch_op:
        batch_op.create_index('ix_listing_modalities_modality', ['modality'], unique=False)


def downgrade():
    with op.batch_alter_table('listing_modalities', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_modalities_modality')
    op.drop_table('listing_modalities')
    with op.batch_alter_table('directory_listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_listings_state'))
        batch_op.drop_index('ix_directory_listings_status_lat_lng')
    op.drop_table('directory_listings')
