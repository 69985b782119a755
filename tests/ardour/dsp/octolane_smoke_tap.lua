ardour {
	["type"]    = "dsp",
	name        = "Octolane Smoke Tap",
	category    = "Utility",
	license     = "MIT",
	author      = "Octolane",
	description = [[Audio pass-through for tests/ardour/vst3_smoke.lua that measures what reaches
it. shmem floats: 1 peak |x|, 2 sum of x^2, 3 samples seen (all channels), 4 non-finite samples,
5 cycles, 6 reset request (the session script sets it; the next cycle clears everything).]]
}

function dsp_ioconfig ()
	return { { audio_in = -1, audio_out = -1 } }
end

function dsp_init (rate)
	self:shmem ():allocate (6)
	self:shmem ():clear ()
end

function dsp_run (ins, outs, n_samples)
	local s = self:shmem ():to_float (0):array ()
	if s[6] > 0 then
		for i = 1, 6 do s[i] = 0 end
	end
	for c = 1, #ins do
		if ins[c] ~= outs[c] then
			ARDOUR.DSP.copy_vector (outs[c], ins[c], n_samples)
		end
		local a = outs[c]:array ()
		local peak = s[1]
		local sq = 0
		local bad = 0
		for i = 1, n_samples do
			local v = a[i]
			if v ~= v or v == math.huge or v == -math.huge then
				bad = bad + 1
			else
				local m = math.abs (v)
				if m > peak then peak = m end
				sq = sq + v * v
			end
		end
		s[1] = peak
		s[2] = s[2] + sq
		s[3] = s[3] + n_samples
		s[4] = s[4] + bad
	end
	s[5] = s[5] + 1
end
