"""Risk across cases: image fingerprints, shared identifiers, the case's risk score, a
warning's other case.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as b:
        b.add_column(sa.Column('risk_score', sa.Float(), nullable=True))
        b.add_column(sa.Column('risk_parts', sa.JSON(), nullable=True))
        b.create_index('ix_cases_risk_score', ['risk_score'])
    with op.batch_alter_table('discrepancies') as b:
        b.add_column(sa.Column('other_case_id', sa.Integer(), nullable=True))
    op.create_table('image_fingerprints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('phash', sa.String(length=16), nullable=False),
        sa.Column('band0', sa.Integer(), nullable=False),
        sa.Column('band1', sa.Integer(), nullable=False),
        sa.Column('band2', sa.Integer(), nullable=False),
        sa.Column('band3', sa.Integer(), nullable=False),
        sa.Column('number_digest', sa.String(length=64), nullable=True),
        sa.Column('customer', sa.String(length=64), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    for col in ('document_id', 'case_id', 'phash', 'band0', 'band1', 'band2', 'band3', 'number_digest'):
        op.create_index(f'ix_image_fingerprints_{col}', 'image_fingerprints', [col])
    op.create_table('case_identifiers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('holder', sa.String(length=64), nullable=True),
        sa.Column('customer', sa.String(length=64), nullable=False),
        sa.Column('case_created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_identifiers_case_id', 'case_identifiers', ['case_id'])
    op.create_index('ix_case_identifiers_lookup', 'case_identifiers', ['kind', 'digest', 'case_created_at'])


def downgrade() -> None:
    op.drop_table('case_identifiers')
    op.drop_table('image_fingerprints')
    with op.batch_alter_table('discrepancies') as b:
        b.drop_column('other_case_id')
    with op.batch_alter_table('cases') as b:
        b.drop_index('ix_cases_risk_score')
        b.drop_column('risk_parts')
        b.drop_column('risk_score')
