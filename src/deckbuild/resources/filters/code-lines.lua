-- code-line-numbers: true shows line numbers; "1-3|5" also highlights those lines, one step
-- per fragment (the runtime in deckbuild.js does the stepping).

function CodeBlock(block)
  local spec = block.attributes["code-line-numbers"]
  if not spec then return nil end
  block.attributes["code-line-numbers"] = nil
  if spec == "false" then return block end
  block.classes:insert("numberLines")
  if spec ~= "true" then
    block.attributes["data-code-line-numbers"] = spec
  end
  return block
end
