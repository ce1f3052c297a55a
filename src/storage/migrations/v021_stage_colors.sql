-- Version 21: a stage's colour (Kommo's `color` of a status) is kept from now on, as an
-- administrator or an import sets it. The column exists since version 1, but nothing wrote it,
-- so every row holds the column's default; '' now means "the colour of the stage's position in
-- Kommo's palette", which is what every stage has shown so far.
UPDATE statuses SET color = '';
