"""
The listicle importer: plain text in, a plan of a ranked article out.

`decode` and `repair` make the text trustworthy, `parse` turns it into a
`Plan` (pure, no database), and `articles.services.listicle_import` resolves
films and writes the article. The command and the admin page both call that
one service.
"""
