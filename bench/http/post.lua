-- wrk script: POST the body in WRK_BODY_FILE with the headers the target needs.
local file = io.open(os.getenv("WRK_BODY_FILE"), "r")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("WRK_API_KEY")
if key and #key > 0 then
  wrk.headers["Authorization"] = "Bearer " .. key
end
