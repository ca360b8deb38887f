-- The part of Quarto's Lua API that extensions commonly use, for pandoc filters run by deckbuild.
-- Loaded by the shortcode filter and by the wrapper around each extension filter.

local quarto = { version = { 1, 6, 0 } }
local dependencies = {}

quarto.doc = {}
quarto.log = {}
quarto.utils = {}
quarto.format = {}
quarto.json = pandoc.json

-- the folder of the extension being run, so resolve_path and dependencies find their files
quarto._extension_dir = "."

function quarto.doc.is_format(name)
  local html = { html = true, ["html:js"] = true, html5 = true, revealjs = true, js = true }
  return html[name] or false
end

function quarto.doc.has_bootstrap() return false end
function quarto.doc.input_file() return PANDOC_STATE.input_files[1] end
function quarto.doc.output_file() return PANDOC_STATE.output_file end
quarto.format.is_html_output = function() return true end
quarto.format.is_revealjs_output = function() return true end
quarto.format.is_latex_output = function() return false end

local function header_includes(meta, text)
  local includes = meta["header-includes"]
  if includes == nil then includes = pandoc.MetaList({})
  elseif pandoc.utils.type(includes) ~= "List" then includes = pandoc.MetaList({ includes }) end
  includes:insert(pandoc.MetaBlocks({ pandoc.RawBlock("html", text) }))
  meta["header-includes"] = includes
end

-- Stylesheets and scripts an extension needs: recorded here, written into the page by
-- quarto.apply_dependencies (the shortcode filter calls it), copied to the site by deckbuild.
function quarto.doc.add_html_dependency(dep)
  dep._dir = quarto._extension_dir
  table.insert(dependencies, dep)
end

function quarto.doc.include_text(location, text)
  table.insert(dependencies, { _text = text, _location = location })
end

function quarto.doc.include_file(location, path)
  local file = io.open(quarto.utils.resolve_path(path), "r")
  if file then
    quarto.doc.include_text(location, file:read("a"))
    file:close()
  end
end

function quarto.utils.resolve_path(path)
  return pandoc.path.join({ quarto._extension_dir, path })
end

function quarto.utils.dump(value) io.stderr:write(tostring(value) .. "\n") end

local function log(level)
  return function(...)
    local parts = {}
    for _, v in ipairs({ ... }) do parts[#parts + 1] = tostring(v) end
    io.stderr:write("[" .. level .. "] " .. table.concat(parts, " ") .. "\n")
  end
end
quarto.log.output = log("info")
quarto.log.info = log("info")
quarto.log.debug = function() end
quarto.log.warning = log("warning")
quarto.log.error = log("error")

-- Write recorded dependencies into the document's header: link tags for the copied files.
function quarto.apply_dependencies(meta)
  local prefix = pandoc.utils.stringify(meta["deckbuild-extension-url"] or "_extensions")
  for _, dep in ipairs(dependencies) do
    if dep._text then
      header_includes(meta, dep._text)
    else
      local base = prefix .. "/" .. (dep._dir:match(".*_extensions/(.+)$") or dep.name)
      for _, css in ipairs(dep.stylesheets or {}) do
        local path = type(css) == "table" and css.path or css
        header_includes(meta, '<link rel="stylesheet" href="' .. base .. "/" .. path .. '">')
        io.stderr:write("deckbuild-dependency\t" .. dep._dir .. "/" .. path .. "\n")
      end
      for _, js in ipairs(dep.scripts or {}) do
        local path = type(js) == "table" and js.path or js
        header_includes(meta, '<script src="' .. base .. "/" .. path .. '"></script>')
        io.stderr:write("deckbuild-dependency\t" .. dep._dir .. "/" .. path .. "\n")
      end
      for _, res in ipairs(dep.resources or {}) do
        local path = type(res) == "table" and res.path or res
        io.stderr:write("deckbuild-dependency\t" .. dep._dir .. "/" .. path .. "\n")
      end
    end
  end
  dependencies = {}
  return meta
end

return quarto
