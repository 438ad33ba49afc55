-- ARGV: p, me. The admin views every other known node published last (a node whose view expired is skipped).
local views = {}
for _, n in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
  if n ~= ARGV[2] then
    local v = redis.call('GET', p .. 'view:' .. n)
    if v then table.insert(views, v) end
  end
end
return views
