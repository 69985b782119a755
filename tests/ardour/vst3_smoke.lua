-- Octolane VST3 smoke test in a real host: Ardour 7, headless, through its Lua session tool.
--
-- Run by `cargo xtask ardour` (xtask/src/ardour.rs), which prepares a private $HOME with the
-- plugin scanned, installs the two helper DSP scripts from tests/ardour/dsp/ and an export
-- preset, and sets:
--   OCTOLANE_SMOKE_PHASE  `create` (new session: scan, instantiate, parameters, render, save)
--                         or `reload` (open the saved session: check the parameter, render)
--   OCTOLANE_SMOKE_DIR    work folder (the session and the exports go here)
--   OCTOLANE_SMOKE_PRESET export preset id (32-bit float WAV at session rate)
--   OCTOLANE_SMOKE_PARAM  label of the parameter to change
--   OCTOLANE_SMOKE_VALUE  value to set it to (plain units, as Ardour shows them)
--
-- The two phases run in separate processes: closing a session and loading another in the same
-- ardour7-lua process crashes Ardour 7.3 (it does so with its own LV2 synth too), and reopening
-- the project in a fresh process is what a user does anyway.
--
-- Every fact goes to stdout as `SMOKE <key> <value…>`; a failed check prints `SMOKE-FAIL <why>`
-- and stops. `SMOKE done <phase>` is the last line of a complete run.

local phase = os.getenv ("OCTOLANE_SMOKE_PHASE") or "create"
local dir = assert (os.getenv ("OCTOLANE_SMOKE_DIR"), "OCTOLANE_SMOKE_DIR is not set")
local preset = assert (os.getenv ("OCTOLANE_SMOKE_PRESET"), "OCTOLANE_SMOKE_PRESET is not set")
local param_label = os.getenv ("OCTOLANE_SMOKE_PARAM") or "Osc 1 Pulse Width"
local param_value = tonumber (os.getenv ("OCTOLANE_SMOKE_VALUE") or "0.3")
local session_name = "octolane-smoke"
local session_dir = dir .. "/session"
local rate = 48000
local render_seconds = 2

local function say (key, ...)
	local parts = { "SMOKE", key }
	for _, v in ipairs ({ ... }) do parts[#parts + 1] = tostring (v) end
	print (table.concat (parts, " "))
	io.stdout:flush ()
end

local function fail (why)
	print ("SMOKE-FAIL " .. why)
	io.stdout:flush ()
	error (why, 0) -- ends ardour7-lua with status 1 (quit() would let the script run on)
end

local function check (ok, why)
	if not ok then fail (why) end
end

-- The Octolane VST3 insert on the only MIDI track, and that track.
local function find_instrument ()
	for r in Session:get_routes ():iter () do
		local t = r:to_track ()
		if not t:isnil () and not t:to_midi_track ():isnil () then
			for i = 0, 32 do
				local proc = r:nth_plugin (i)
				if proc:isnil () then break end
				if proc:to_insert ():type () == ARDOUR.PluginType.VST3 then return r, proc end
			end
		end
	end
	return nil, nil
end

-- Index (for LuaAPI.{set,get}_processor_param) and count of the plugin's input parameters.
local function input_params (plugin)
	local inputs = {}
	local hidden = 0
	for i = 0, plugin:parameter_count () - 1 do
		if plugin:parameter_is_input (i) then
			inputs[#inputs + 1] = { index = #inputs, port = i, label = plugin:parameter_label (i) }
		else
			hidden = hidden + 1
		end
	end
	return inputs, hidden
end

local function param_by_label (plugin, label)
	local inputs = input_params (plugin)
	for _, p in ipairs (inputs) do
		if p.label == label then return p end
	end
	return nil
end

-- Exports the session's master bus over [0, render_seconds) and reports what the tap saw.
local function render (tag, route)
	local tap, notes
	for i = 0, 32 do
		local p = route:nth_plugin (i)
		if p:isnil () then break end
		if p:name () == "Octolane Smoke Tap" then tap = p end
		if p:name () == "Octolane Smoke Notes" then notes = p end
	end
	check (tap and notes, "the smoke helper processors are missing from the track")
	local tap_shm = tap:to_insert ():plugin (0):to_luaproc ():shmem ()
	local notes_shm = notes:to_insert ():plugin (0):to_luaproc ():shmem ()
	tap_shm:to_float (0):array ()[6] = 1 -- ask the tap to reset on its next cycle
	ARDOUR.LuaAPI.usleep (200000)
	notes_shm:atomic_set_int (0, 0)

	local ex = Session:simple_export ()
	check (ex:set_preset (preset), "export preset " .. preset .. " not found")
	ex:set_name ("octolane-" .. tag)
	ex:set_folder (dir)
	ex:set_range (0, render_seconds * rate)
	check (ex:run_export (), "export (" .. tag .. ") failed")

	local s = tap_shm:to_float (0):array ()
	local samples = s[3]
	local rms = samples > 0 and math.sqrt (s[2] / samples) or 0
	say ("render", tag, "file=" .. dir .. "/octolane-" .. tag .. ".wav",
		"notes_sent=" .. notes_shm:atomic_get_int (0),
		string.format ("tap_peak=%.6f", s[1]), string.format ("tap_rms=%.6f", rms),
		string.format ("tap_samples=%d", samples), string.format ("tap_nonfinite=%d", s[4]))
end

------------------------------------------------------------------------------------------------

local backend = AudioEngine:set_backend ("None (Dummy)", "", "")
check (not backend:isnil (), "could not select Ardour's Dummy audio backend")
say ("backend", AudioEngine:current_backend_name ())

if phase == "reload" then
	check (load_session (session_dir, session_name), "could not load the saved session " .. session_dir)
	say ("session", session_dir .. "/" .. session_name .. ".ardour", "loaded")
	local route, proc = find_instrument ()
	check (proc, "after reload the MIDI track has no instrument plugin")
	local plugin = proc:to_insert ():plugin (0)
	local target = param_by_label (plugin, param_label)
	check (target, "after reload there is no parameter labelled '" .. param_label .. "'")
	local inputs = input_params (plugin)
	say ("reload", "name=" .. proc:name (), "type=" .. ARDOUR.PluginType.name (proc:to_insert ():type ()),
		"inputs=" .. #inputs, "label=" .. param_label,
		string.format ("value=%g", ARDOUR.LuaAPI.get_processor_param (proc, target.index)))
	render ("reloaded", route)
	close_session ()
	say ("done", phase)
	quit ()
	return
end
check (phase == "create", "OCTOLANE_SMOKE_PHASE must be create or reload, not " .. phase)

check (create_session (session_dir, session_name, rate), "could not create a session in " .. session_dir)
say ("session", session_dir .. "/" .. session_name .. ".ardour", "rate=" .. Session:nominal_sample_rate (),
	"block=" .. Session:get_block_size ())

-- 1. Ardour's plugin list (from its own VST3 scanner's cache) has Octolane as a VST3.
local info
for p in ARDOUR.LuaAPI.list_plugins ():iter () do
	if p.type == ARDOUR.PluginType.VST3 and p.name == "Octolane" then info = p end
end
check (info, "Ardour's plugin list has no VST3 named Octolane (did the scan fail?)")
say ("scan", "name=" .. info.name, "creator=" .. info.creator, "category=" .. info.category,
	"uid=" .. info.unique_id, "path=" .. info.path)
say ("scan-io", "audio_in=" .. info.n_inputs:n_audio (), "audio_out=" .. info.n_outputs:n_audio (),
	"midi_in=" .. info.n_inputs:n_midi (), "is_instrument=" .. tostring (info:is_instrument ()))

-- 2. A MIDI track with Octolane as its instrument, as "Add Track" does.
local tracks = Session:new_midi_track (
	ARDOUR.ChanCount (ARDOUR.DataType ("midi"), 1), ARDOUR.ChanCount (ARDOUR.DataType ("audio"), 2),
	false, info, nil, nil, 1, "Octolane", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal,
	true, false)
check (tracks:size () == 1, "new_midi_track did not create a track")
local route, proc = find_instrument ()
check (proc, "the MIDI track has no instrument plugin: Ardour could not instantiate Octolane")
local insert = proc:to_insert ()
local plugin = insert:plugin (0)
check (insert:type () == ARDOUR.PluginType.VST3, "the instrument is not the VST3 plugin")
say ("instance", "name=" .. proc:name (), "active=" .. tostring (proc:active ()),
	"track_outputs=" .. route:n_outputs ():n_audio (),
	"plugin_outputs=" .. insert:output_streams ():n_audio (),
	"plugin_inputs_midi=" .. insert:natural_input_streams ():n_midi ())

-- 3. Its parameters.
local inputs, hidden = input_params (plugin)
say ("params", "inputs=" .. #inputs, "other=" .. hidden, "total=" .. plugin:parameter_count ())
for _, p in ipairs (inputs) do
	local _, d = plugin:get_parameter_descriptor (p.port, ARDOUR.ParameterDescriptor ())
	local desc = d[2]
	local v = ARDOUR.LuaAPI.get_processor_param (proc, p.index)
	say ("param", p.index, string.format ("value=%g", v), string.format ("min=%g", desc.lower),
		string.format ("max=%g", desc.upper), "int=" .. tostring (desc.integer_step),
		"toggle=" .. tostring (desc.toggled), "label=" .. p.label)
end

-- 4. Set one and read it back.
local target = param_by_label (plugin, param_label)
check (target, "no input parameter labelled '" .. param_label .. "'")
local before = ARDOUR.LuaAPI.get_processor_param (proc, target.index)
check (ARDOUR.LuaAPI.set_processor_param (proc, target.index, param_value),
	"set_processor_param refused '" .. param_label .. "'")
ARDOUR.LuaAPI.usleep (200000)
local after = ARDOUR.LuaAPI.get_processor_param (proc, target.index)
say ("set", "label=" .. param_label, string.format ("before=%g", before),
	string.format ("requested=%g", param_value), string.format ("readback=%g", after))

-- 5. Play notes through it and export the master bus. "Octolane Smoke Notes" plays MIDI in
--    front of the instrument while the transport rolls; "Octolane Smoke Tap" measures the
--    instrument's output after it.
local notes = ARDOUR.LuaAPI.new_luaproc (Session, "Octolane Smoke Notes")
local tap = ARDOUR.LuaAPI.new_luaproc (Session, "Octolane Smoke Tap")
check (not notes:isnil () and not tap:isnil (), "the helper DSP scripts are not installed")
check (route:add_processor_by_index (notes, 0, nil, true) == 0, "could not add the note source")
check (route:add_processor_by_index (tap, 2, nil, true) == 0, "could not add the tap")
local order = {}
for i = 0, 8 do
	local p = route:nth_plugin (i)
	if p:isnil () then break end
	order[#order + 1] = p:name ()
end
say ("chain", table.concat (order, " -> "))
render ("first", route)

-- 6. Save. The `reload` phase opens it in a new process.
check (Session:save_state ("", false, false, false, false, false) == 0, "save_state failed")
say ("saved", session_dir .. "/" .. session_name .. ".ardour")
close_session ()
say ("done", phase)
quit ()
