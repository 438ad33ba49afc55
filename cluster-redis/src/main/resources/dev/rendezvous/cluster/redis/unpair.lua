-- ARGV: p, id.
unpair(ARGV[2])
return 1
