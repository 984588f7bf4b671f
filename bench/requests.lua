-- bench/requests.lua: the requests of one benchmark scenario, for wrk.
--
-- BENCH_SPEC names a file with one request per line, tab-separated:
--     METHOD  PATH  AUTHORIZATION  BODY  ONETIME-FILE
-- ("-" for an empty field). Requests cycle through the lines (one line: the same
-- request each time; several: a mixed load). A line with a ONETIME-FILE takes the next
-- line of that file for each request and puts its first and second word in place of
-- $1 and $2 in BODY: authorization codes and refresh tokens, made in advance, each
-- used once. The file's lines are shared out among wrk's threads (BENCH_THREADS, the
-- -t given to wrk), so no two requests use the same line. When a thread runs out it
-- sends "exhausted" (a 400, counted as an error) and done() reports how many.

local threads = {}
local count = 0

function setup(thread)
    thread:set("tid", count)
    count = count + 1
    table.insert(threads, thread)
end

local function split(line)
    local f, i = {}, 0
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
        i = i + 1
        if field ~= "-" and field ~= "" then f[i] = field end
    end
    return f
end

local function load_onetime(path, template)
    local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
    local bodies, i = {}, 0
    for line in io.lines(path) do
        if i % nthreads == tid then
            local a, b = line:match("^(%S+)%s*(%S*)")
            if a then
                bodies[#bodies + 1] = template:gsub("%$(%d)", function(n)
                    return n == "1" and a or b
                end)
            end
        end
        i = i + 1
    end
    return bodies
end

function init(args)
    specs = {}
    for line in io.lines(os.getenv("BENCH_SPEC")) do
        local f = split(line)
        local headers = {}
        if f[3] then headers["Authorization"] = f[3] end
        if f[4] then headers["Content-Type"] = "application/x-www-form-urlencoded" end
        local s = { method = f[1], path = f[2], headers = headers, body = f[4] }
        if f[5] then
            s.bodies, s.next = load_onetime(f[5], f[4]), 1
        else
            s.request = wrk.format(s.method, s.path, headers, s.body)
        end
        specs[#specs + 1] = s
    end
    turn = 0
    exhausted = 0
end

function request()
    turn = turn % #specs + 1
    local s = specs[turn]
    if s.request then
        return s.request
    end
    local body = s.bodies[s.next]
    if body == nil then
        exhausted = exhausted + 1
        body = "exhausted"
    else
        s.next = s.next + 1
    end
    return wrk.format(s.method, s.path, s.headers, body)
end

function done(summary, latency, requests)
    local n = 0
    for _, t in ipairs(threads) do
        n = n + (t:get("exhausted") or 0)
    end
    io.write(string.format("BENCH_EXHAUSTED %d\n", n))
end
