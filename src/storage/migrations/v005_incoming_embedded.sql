-- Version 5: the contacts and companies a web form sent with an incoming lead.
--
-- Kept with the item, as JSON, until it is accepted: only then do they become records (Kommo
-- keeps them hidden until acceptance); the accept writes the created ids back into it.
ALTER TABLE incoming_leads ADD COLUMN embedded TEXT NOT NULL DEFAULT '';
