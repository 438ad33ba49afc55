-- ARGV: p, id. The node holding id while that node is alive (its heartbeat key exists), else ''.
-- v1.1: where a resume for a session of another node is asked (ResumeTunnels).
local n = node_of(ARGV[2])
if n and redis.call('EXISTS', p .. 'node:' .. n) == 1 then
  return n
end
return ''
