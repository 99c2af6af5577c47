-- wrk script for scripts/load-test: POST /api/v1/check with typical posts, in rotation.
local posts = {
  "Proud of our team on Ward 7 today, amazing care from everyone #NHS",
  "Reminder: flu jabs for staff in the atrium until 4pm, no appointment needed",
  "Bed 4 Mrs Eileen Crabtree, 94, dementia. NHS no 943 476 5919 - family asking for update",
  "Absolutely shattered after a 13 hour shift, this place is a f*cking joke some days",
  "Great to see the new discharge lounge open at last, well done estates and facilities",
  "Can anyone cover a night shift on Saturday? Message me, happy to swap for a weekday",
  "Our hospital is the worst run trust in the country, management haven't a clue",
  "Journalist here from the Gazette - would any nurses speak to me about A&E waits? DM me",
}
local token = os.getenv("SOCIALGOV_TOKEN")
local bodies = {}
for i, p in ipairs(posts) do
  bodies[i] = '{"text": "' .. p .. '"}'
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, bodies[(n % #bodies) + 1])
end
