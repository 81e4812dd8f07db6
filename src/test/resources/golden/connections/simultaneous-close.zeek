#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	duration	orig_bytes	resp_bytes	conn_state	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	interval	count	count	string	count	string	count	count	count	count	set[string]	string	string	string	count	double	count	bool	bool	bool	string	string
1796312686.847975000	C1	10.200.0.1	40000	10.200.0.2	8080	tcp	0.031460000	100	1000	SF	0	ShADadFf	7	472	6	1320	-	complete	time-wait	time-wait	0	0.034000	2	T	F	F	-	-
