-- An offer let expire counts once against its person, though it stays open
-- (the floor may still take a request waiting with the remote team): at the
-- overflow deadline, or when the request is abandoned, whichever comes first.
ALTER TABLE offers ADD COLUMN counted boolean NOT NULL DEFAULT false;
