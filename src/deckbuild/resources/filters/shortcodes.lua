-- Quarto shortcodes, marked by deckbuild as spans/divs with class quarto-shortcode and a raw
-- attribute: built-ins (meta, var, env, pagebreak, kbd, video, lipsum) and the handlers of
-- extensions in _extensions/ (which may call the small `quarto` API loaded below).

local meta_doc
local handlers = {}
local extension_files = {}
local loaded = false

local function setup_quarto(meta)
  local api = pandoc.utils.stringify(meta["deckbuild-quarto-api"] or "")
  if api ~= "" and _G.quarto == nil then _G.quarto = dofile(api) end
end

local function parse_raw(raw)
  local tokens, i = {}, 1
  while i <= #raw do
    local c = raw:sub(i, i)
    if c:match("%s") then
      i = i + 1
    else
      local token, j = "", i
      while j <= #raw and not raw:sub(j, j):match("%s") do
        local ch = raw:sub(j, j)
        if ch == '"' or ch == "'" then
          local close = raw:find(ch, j + 1, true) or (#raw + 1)
          token = token .. raw:sub(j + 1, close - 1)
          j = close + 1
        else
          token = token .. ch
          j = j + 1
        end
      end
      tokens[#tokens + 1] = token
      i = j
    end
  end
  local name = table.remove(tokens, 1) or ""
  local args, kwargs = {}, {}
  for _, token in ipairs(tokens) do
    local key, value = token:match("^([%w_%-%.]+)=(.*)$")
    if key then kwargs[key] = value else args[#args + 1] = token end
  end
  setmetatable(kwargs, { __index = function() return "" end })
  return name, args, kwargs
end

local function lookup(tbl, dotted)
  local value = tbl
  for part in dotted:gmatch("[^%.]+") do
    if type(value) ~= "table" and pandoc.utils.type(value) ~= "Meta" then return nil end
    value = value[part]
    if value == nil then return nil end
  end
  return value
end

local function meta_inlines(value)
  if value == nil then return nil end
  local kind = pandoc.utils.type(value)
  if kind == "Inlines" then return value end
  if kind == "Blocks" then return pandoc.utils.blocks_to_inlines(value) end
  return pandoc.Inlines({ pandoc.Str(pandoc.utils.stringify(value)) })
end

local function video(args, kwargs)
  local src = args[1] or kwargs["src"]
  local width = kwargs["width"] ~= "" and kwargs["width"] or "100%"
  local height = kwargs["height"] ~= "" and kwargs["height"] or "450"
  local title = kwargs["title"] ~= "" and kwargs["title"] or "Video"
  local yt = src:match("youtu%.be/([%w_%-]+)") or src:match("youtube%.com/watch%?v=([%w_%-]+)")
      or src:match("youtube%.com/embed/([%w_%-]+)")
  local vimeo = src:match("vimeo%.com/(%d+)")
  local embed = yt and ("https://www.youtube.com/embed/" .. yt) or (vimeo and ("https://player.vimeo.com/video/" .. vimeo))
  if embed then
    return pandoc.RawBlock("html", string.format(
      '<div class="quarto-video"><iframe data-src="%s" width="%s" height="%s" title="%s" frameborder="0" allowfullscreen></iframe></div>',
      embed, width, height, title))
  end
  return pandoc.RawBlock("html", string.format(
    '<div class="quarto-video"><video controls preload="metadata" width="%s" data-src="%s" title="%s"></video></div>',
    width, src, title))
end

local LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."

local builtins = {
  meta = function(args) return meta_inlines(lookup(meta_doc, args[1] or "")) end,
  var = function(args) return meta_inlines(lookup(meta_doc["deckbuild-variables"] or {}, args[1] or "")) end,
  env = function(args) return pandoc.Inlines({ pandoc.Str(os.getenv(args[1] or "") or "") }) end,
  pagebreak = function() return pandoc.RawBlock("html", '<div style="page-break-after: always;"></div>') end,
  kbd = function(args) return pandoc.RawInline("html", "<kbd>" .. table.concat(args, " ") .. "</kbd>") end,
  video = video,
  lipsum = function() return pandoc.Para({ pandoc.Str(LOREM) }) end,
}

local function load_extensions()
  if loaded then return end
  loaded = true
  for _, path in ipairs(extension_files) do
    if _G.quarto then _G.quarto._extension_dir = pandoc.path.directory(path) end
    local ok, result = pcall(dofile, path)
    if ok and type(result) == "table" then
      for name, fn in pairs(result) do
        if type(fn) == "function" then handlers[name] = { fn = fn, dir = pandoc.path.directory(path) } end
      end
    elseif not ok then
      io.stderr:write("[warning] shortcode extension " .. path .. " failed to load: " .. tostring(result) .. "\n")
    end
  end
end

local function run(raw, context)
  local name, args, kwargs = parse_raw(raw)
  local fn = builtins[name]
  if not fn then
    load_extensions()
    local handler = handlers[name]
    if handler then
      if _G.quarto then _G.quarto._extension_dir = handler.dir end
      fn = handler.fn
    end
  end
  if not fn then
    io.stderr:write("deckbuild-unsupported\tshortcode '" .. name .. "'\n")
    return nil
  end
  local ok, result = pcall(fn, args, kwargs, meta_doc, raw:gsub("^%S+%s*", ""), context)
  if not ok then
    io.stderr:write("[warning] shortcode " .. name .. " failed: " .. tostring(result) .. "\n")
    return nil
  end
  return result
end

local function as_inlines(result)
  if result == nil then return pandoc.Inlines({}) end
  if type(result) == "string" then return pandoc.Inlines({ pandoc.Str(result) }) end
  local kind = pandoc.utils.type(result)
  if kind == "Inline" then return pandoc.Inlines({ result }) end
  if kind == "Inlines" or kind == "List" then
    local ok, inl = pcall(pandoc.Inlines, result)
    if ok then return inl end
  end
  if kind == "Block" then return pandoc.utils.blocks_to_inlines({ result }) end
  if kind == "Blocks" then return pandoc.utils.blocks_to_inlines(result) end
  return pandoc.Inlines({ pandoc.Str(pandoc.utils.stringify(result)) })
end

local function as_blocks(result)
  if result == nil then return pandoc.Blocks({}) end
  local kind = pandoc.utils.type(result)
  if kind == "Block" then return pandoc.Blocks({ result }) end
  if kind == "Blocks" then return result end
  if kind == "List" then
    local ok, blocks = pcall(pandoc.Blocks, result)
    if ok then return blocks end
  end
  return pandoc.Blocks({ pandoc.Plain(as_inlines(result)) })
end

function Pandoc(doc)
  meta_doc = doc.meta
  setup_quarto(doc.meta)
  for _, path in ipairs(doc.meta["deckbuild-shortcode-files"] or {}) do
    extension_files[#extension_files + 1] = pandoc.utils.stringify(path)
  end
  doc = doc:walk({
    Span = function(span)
      if span.classes:includes("quarto-shortcode") then
        return as_inlines(run(span.attributes["raw"], "inline"))
      end
    end,
    Div = function(div)
      if div.classes:includes("quarto-shortcode") then
        return as_blocks(run(div.attributes["raw"], "block"))
      end
    end,
  })
  if _G.quarto and _G.quarto.apply_dependencies then doc.meta = _G.quarto.apply_dependencies(doc.meta) end
  return doc
end
