ardour {
	["type"]    = "dsp",
	name        = "Octolane Smoke Notes",
	category    = "Utility",
	license     = "MIT",
	author      = "Octolane",
	description = [[MIDI source for tests/ardour/vst3_smoke.lua: while the transport rolls (also
during export) it plays a C major chord at 0.10-0.90 s and an A2 at 1.00-1.60 s of the timeline.
Incoming MIDI passes through. shmem int 0 counts the events it sent.]]
}

function dsp_ioconfig ()
	return { { midi_in = 1, midi_out = 1, audio_in = 0, audio_out = 0 } }
end

local events = {}

function dsp_init (rate)
	local function at (seconds) return math.floor (seconds * rate) end
	-- { timeline sample, status, note, velocity }, in time order
	events = {
		{ at (0.10), 0x90, 60, 100 }, { at (0.10), 0x90, 64, 100 }, { at (0.10), 0x90, 67, 100 },
		{ at (0.90), 0x80, 60, 0 },   { at (0.90), 0x80, 64, 0 },   { at (0.90), 0x80, 67, 0 },
		{ at (1.00), 0x90, 45, 110 }, { at (1.60), 0x80, 45, 0 },
	}
	self:shmem ():allocate (1)
	self:shmem ():clear ()
end

function dsp_run (_, _, n_samples)
	local n = 1
	for _, b in pairs (midiin) do
		midiout[n] = { time = b["time"], data = b["data"] }
		n = n + 1
	end
	if not Session:transport_rolling () then return end
	-- Ardour 7 has no per-cycle time info for Lua DSP; the transport position at the start of
	-- this cycle is what its own scripts use.
	local pos = Session:transport_sample ()
	for _, e in ipairs (events) do
		if e[1] >= pos and e[1] < pos + n_samples then
			midiout[n] = { time = e[1] - pos + 1, data = { e[2], e[3], e[4] } }
			n = n + 1
			self:shmem ():atomic_set_int (0, self:shmem ():atomic_get_int (0) + 1)
		end
	end
end
