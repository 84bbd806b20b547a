"""Mantelzorglijn: a Dutch phone line that walks Markant's schema of support for carers."""
