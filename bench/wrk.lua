-- wrk script for bench/run.py: prints a JSON summary line at the end and, when BENCH_POST_FORM holds the
-- comment form's other fields (URL-encoded), posts the form with every request, each time with an address
-- and a text of its own, as the site refuses the same comment twice.
local form = os.getenv("BENCH_POST_FORM")
local nonce = os.getenv("BENCH_POST_NONCE") or "0"
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("number", threads)
end

if form and form ~= "" then
   local words = {
      "Slažem", "se", "sa", "autorom", "teksta", "ali", "mislim", "da", "je", "grad", "morao", "ranije",
      "nešto", "preduzme", "Hvala", "na", "jasnom", "objašnjenju", "Gde", "mogu", "videti", "mapu", "svih",
      "deonica", "Građani", "čekaju", "već", "godinama", "i", "niko", "ne", "odgovara", "Odličan", "članak",
      "Volela", "bih", "više", "ovakvih", "priča", "iz", "Niša", "Čačka", "Šapca", "Đurđevdan", "žetva",
   }
   local counter = 0
   local headers = {}

   local function encode(text)
      return (text:gsub("[^%w%-%._~ ]", function(c)
         return string.format("%%%02X", string.byte(c))
      end):gsub(" ", "+"))
   end

   function init(args)
      math.randomseed(number)
      for name, value in pairs(wrk.headers) do
         headers[name] = value
      end
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["Accept"] = "application/json"
   end

   function request()
      counter = counter + 1
      local length, parts, size = math.random(40, 400), {}, 0
      while size < length do
         local word = words[math.random(#words)]
         parts[#parts + 1] = word
         size = size + #word + 1
      end
      local email = string.format("citalac-%s-%d-%d@example.org", nonce, number, counter)
      local body = form .. "&email=" .. encode(email) .. "&comment=" .. encode(table.concat(parts, " ") .. ".")
      return wrk.format("POST", nil, headers, body)
   end
end

function done(summary, latency, requests)
   local errors = summary.errors
   -- With BENCH_QUANTILES=1, the latency at each 0.1% (0.05, 0.15, ... 99.95): runs can then be merged.
   local quantiles = {}
   if os.getenv("BENCH_QUANTILES") == "1" then
      for i = 0, 999 do
         quantiles[#quantiles + 1] = string.format("%.0f", latency:percentile(i / 10 + 0.05))
      end
   end
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %.0f, "p99_us": %.0f, ' ..
      '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "quantiles_us": [%s]}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
      errors.connect, errors.read, errors.write, errors.timeout, errors.status, table.concat(quantiles, ",")))
end
