-- Quarto tabsets: ::: {.panel-tabset} with one heading per tab. On screen, buttons switch the
-- tabs (deckbuild.js); in print every tab is shown in order under its title.

local function html_inlines(inlines)
  return pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "html"):gsub("\n$", "")
end

function Div(div)
  if not div.classes:includes("panel-tabset") then return nil end
  local level
  for _, block in ipairs(div.content) do
    if block.t == "Header" then level = block.level; break end
  end
  if not level then return nil end
  local tabs, before = {}, {}
  for _, block in ipairs(div.content) do
    if block.t == "Header" and block.level == level then
      tabs[#tabs + 1] = { title = block.content, blocks = pandoc.List({}) }
    elseif #tabs > 0 then
      tabs[#tabs].blocks:insert(block)
    else
      before[#before + 1] = block
    end
  end
  local buttons = {}
  for i, tab in ipairs(tabs) do
    buttons[#buttons + 1] = string.format('<button role="tab" aria-selected="%s">%s</button>',
      i == 1 and "true" or "false", html_inlines(tab.title))
  end
  local panes = {}
  for i, tab in ipairs(tabs) do
    local content = pandoc.List({ pandoc.Div({ pandoc.Plain(tab.title) }, { class = "tab-print-title" }) })
    content:extend(tab.blocks)
    panes[#panes + 1] = pandoc.Div(content, { class = i == 1 and "tab-pane active" or "tab-pane", role = "tabpanel" })
  end
  local out = pandoc.List(before)
  out:insert(pandoc.RawBlock("html", '<div class="panel-tabset-tabby" role="tablist">' .. table.concat(buttons) .. "</div>"))
  out:insert(pandoc.Div(panes, { class = "tab-content" }))
  div.content = out
  return div
end
