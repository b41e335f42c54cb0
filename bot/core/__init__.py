"""Pure rules shared by every process: red-flag and context rules, answer
parsing, the disposition table, reply texts, contacts, levels, slot names and
the red-flag mention type. Imports no Rasa, Flask or SQL, and no other part of
`bot`, so the Rasa server, the action server and the workspace can all use it."""
