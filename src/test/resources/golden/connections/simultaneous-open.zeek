#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	duration	orig_bytes	resp_bytes	conn_state	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	interval	count	count	string	count	string	count	count	count	count	set[string]	string	string	string	count	double	count	bool	bool	bool	string	string
1796311238.944789000	C1	10.200.0.1	40000	10.200.0.2	8080	tcp	-	-	-	S0	0	S	1	60	0	0	-	continued	syn-sent	closed	0	-	0	F	F	F	-	C2
1796311238.944865000	C2	10.200.0.2	8080	10.200.0.1	40000	tcp	-	-	-	S0	0	S	1	60	0	0	-	continued	syn-sent	syn-sent	0	-	0	F	F	F	C1	C3
1796311239.976287000	C3	10.200.0.1	40000	10.200.0.2	8080	tcp	-	-	-	S0	0	S	1	60	0	0	-	continued	syn-sent	syn-sent	1	-	0	F	F	F	C2	C4
1796311239.976339000	C4	10.200.0.2	8080	10.200.0.1	40000	tcp	0.100832000	1000	100	SF	0	ShaAdDfF	6	1340	6	432	-	complete	closed	time-wait	1	0.097000	0	T	F	F	C3	-
