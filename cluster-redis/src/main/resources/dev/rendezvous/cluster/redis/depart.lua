-- ARGV: p, node, id, room ('' = lobby).
depart(ARGV[3], ARGV[4], ARGV[2])
return 1
